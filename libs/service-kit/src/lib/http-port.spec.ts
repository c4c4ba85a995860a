import { httpPort } from './http-port';

describe('httpPort', () => {
  it('uses PORT when set, else the default', () => {
    expect(httpPort(8081, { PORT: '9000' })).toBe(9000);
    expect(httpPort(8081, {})).toBe(8081);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => httpPort(8081, { PORT: 'http' })).toThrow(
      'PORT must be an integer from 0 to 65535, found "http"',
    );
  });
});
