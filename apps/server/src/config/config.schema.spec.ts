import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, maskUrl } from './config.schema.js';

describe('loadConfig', () => {
  it('defaults to port 2801, the embedded store and the demo trickle', () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({ port: 2801, host: '0.0.0.0', bodyLimit: 1024 * 1024 });
    expect(config.store).toEqual({ kind: 'memory', maxAlerts: 50_000 });
    expect(config.demo.enabled).toBe(true);
  });

  it('uses Redis when REDIS_URL is set, with the demo off unless asked for', () => {
    const config = loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_KEY_PREFIX: 'x:' });
    expect(config.store).toEqual({
      kind: 'redis',
      url: 'redis://r:6379',
      keyPrefix: 'x:',
      sentinelMaster: 'mymaster',
      documentFormat: 'zstd',
    });
    expect(config.demo.enabled).toBe(false);
    expect(loadConfig({ REDIS_URL: 'redis://r:6379', DEMO: 'true' }).demo.enabled).toBe(true);
  });

  it('writes alert documents as deflate when asked, for a rolling upgrade from a hub that reads only that', () => {
    const store = loadConfig({ REDIS_URL: 'redis://r:6379', ALERT_DOCUMENT_FORMAT: 'deflate' }).store;
    expect(store).toMatchObject({ documentFormat: 'deflate' });
    expect(() => loadConfig({ ALERT_DOCUMENT_FORMAT: 'lz4' })).toThrow(
      /ALERT_DOCUMENT_FORMAT="lz4" \(must be zstd or deflate\)/,
    );
  });

  it('names every bad variable at once, with the Redis password masked', () => {
    const load = () =>
      loadConfig({ PORT: 'eighty', DEMO: 'maybe', REDIS_URL: 'http://user:s3cret@r', BODY_LIMIT: '10' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT="eighty" \(must be a whole number\)/);
    expect(load).toThrow(/DEMO="maybe"/);
    expect(load).toThrow(/BODY_LIMIT="10" \(must be at least 1024\)/);
    expect(load).toThrow(/REDIS_URL=.*must start with redis:\/\//);
    expect(load).not.toThrow(/s3cret/);
  });
});

describe("falcosidekick's settings", () => {
  it('takes LISTENADDRESS and LISTENPORT, over the file and under HOST and PORT', () => {
    const file = { listenaddress: '10.0.0.1', listenport: 2802 };
    expect(loadConfig({ LISTENADDRESS: '127.0.0.1', LISTENPORT: '2803' }, file).server).toMatchObject({
      host: '127.0.0.1',
      port: 2803,
    });
    expect(loadConfig({ LISTENPORT: '2803', PORT: '2804' }, file).server).toMatchObject({
      host: '10.0.0.1',
      port: 2804,
    });
  });

  it('reads %VAR in CUSTOMFIELDS from the variable VAR, as falcosidekick does', () => {
    const config = loadConfig({
      CUSTOMFIELDS: 'cluster:%CLUSTER_NAME,team:sec,none:%UNSET_VAR',
      CLUSTER_NAME: 'prod-eu',
    });
    expect(config.enrichment.customFields).toEqual({ cluster: 'prod-eu', team: 'sec' });
  });

  it('names the enrichment options it does not implement instead of dropping them silently', () => {
    const { warnings } = loadConfig({ BRACKETREPLACER: '_' }, { outputfieldformat: '<timestamp>: <output>' });
    expect(warnings).toEqual([
      expect.stringContaining('bracketreplacer (BRACKETREPLACER)'),
      expect.stringContaining('outputfieldformat (OUTPUTFIELDFORMAT)'),
    ]);
  });

  it('takes templatedfields from the file and TEMPLATEDFIELDS, refusing one that does not parse by its key', () => {
    const config = loadConfig(
      { TEMPLATEDFIELDS: 'team:{{ or (index . "team") "none" }}' },
      { templatedfields: { ns: '{{ index . "k8s.ns.name" }}' } },
    );
    expect(config.enrichment.templatedFields).toEqual({
      ns: '{{ index . "k8s.ns.name" }}',
      team: '{{ or (index . "team") "none" }}',
    });
    expect(() => loadConfig({}, { templatedfields: { bad: '{{ if . }}' } })).toThrow(
      /templatedfields\.bad: invalid template: unexpected EOF/,
    );
  });
});

describe('maskUrl', () => {
  it('hides the password', () => {
    expect(maskUrl('redis://default:hunter2@redis:6379/0')).toBe('redis://default:***@redis:6379/0');
  });

  it('hides a password in the query, one with unescaped URL characters, and a user name alone', () => {
    expect(maskUrl('redis://redis:6379/0?password=s3cret&db=1')).toBe('redis://redis:6379/0?password=***&db=***');
    expect(maskUrl('redis://user:12?34/5@redis:6379')).toBe('redis://user:***@redis:6379');
    expect(maskUrl('rediss://s3cret@redis')).toBe('rediss://***@redis');
    for (const url of [
      'REDIS://h/?password=x',
      'redis://:p@ss@h',
      'redis://h:6379/0?username=svc@corp&password=S3cret',
      'redis://h/?x=a@b&password=S3cret',
    ]) {
      expect(maskUrl(url)).not.toMatch(/p@ss|=x|S3cret/);
    }
  });
});
