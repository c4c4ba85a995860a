/** Room left on a consumer: messages and bytes it may still be sent. */
export interface Room {
  messages: number;
  bytes: number;
}

/**
 * Outstanding messages and bytes of one consumer against its limits (zero
 * or less: no limit). With nothing outstanding the byte limit is lifted, so
 * a message larger than the limit is still delivered, alone.
 */
export class FlowControl {
  private messages = 0;
  private bytes = 0;

  constructor(
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  room(): Room {
    return {
      messages: this.maxMessages > 0 ? Math.max(0, this.maxMessages - this.messages) : Infinity,
      bytes:
        this.maxBytes > 0 && this.messages > 0 ? Math.max(0, this.maxBytes - this.bytes) : Infinity,
    };
  }

  add(size: number): void {
    this.messages++;
    this.bytes += size;
  }

  release(size: number): void {
    this.messages--;
    this.bytes -= size;
  }
}
