/** Injection token of the `Warehouse` port. */
export const WAREHOUSE = Symbol('WAREHOUSE');
