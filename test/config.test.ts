import { ConfigError, loadConfig } from '../config/config';

const secret = 'a'.repeat(64);

describe('configuration', () => {
  test('defaults fill what is unset', () => {
    const config = loadConfig({ LINK_SECRET: secret });
    expect(config.API_PORT).toBe(3000);
    expect(config.DEFAULT_LOCALE).toBe('vi');
  });

  test('when values are bad, start-up stops with one line per variable, naming it', () => {
    expect.assertions(4);
    try {
      loadConfig({ LINK_SECRET: 'short', API_PORT: '70000', DEFAULT_LOCALE: 'fr', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems.find((p) => p.startsWith('API_PORT='))).toMatch(/must be <= 65535/);
      expect(problems.find((p) => p.startsWith('DEFAULT_LOCALE='))).toMatch(/must be one of vi, en/);
      expect(problems.find((p) => p.startsWith('DATABASE_URL='))).toMatch(/PostgreSQL connection URL/);
      expect(problems.find((p) => p.startsWith('LINK_SECRET='))).toMatch(/\(hidden\)/);
    }
  });

  test('a missing link secret says how to make one', () => {
    expect(() => loadConfig({})).toThrow(/LINK_SECRET is required.*openssl rand -hex 32/);
  });
});
