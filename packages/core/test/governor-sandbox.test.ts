import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceGovernor } from '../src/governor/index.js';

let root: string;
let inside: string;
let outside: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'msys-sandbox-')));
  inside = join(root, 'inside');
  outside = join(root, 'outside');
  mkdirSync(inside);
  mkdirSync(outside);
  mkdirSync(join(root, 'inside-not'));
  writeFileSync(join(inside, 'ok.txt'), 'inside');
  writeFileSync(join(outside, 'secret.txt'), 'outside');
  symlinkSync(outside, join(inside, 'escape'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const denied = expect.objectContaining({ code: 'MSYS_PERMISSION_DENIED', category: 'permission' });

describe('checkFs', () => {
  it('allows paths under a read prefix and returns the real path', () => {
    const g = new ResourceGovernor({ sandbox: { fsRead: [inside] } });
    expect(g.checkFs(join(inside, 'ok.txt'), 'read')).toBe(join(inside, 'ok.txt'));
    expect(g.checkFs(inside, 'read')).toBe(inside);
    expect(g.checkFs(join(inside, 'not-yet', 'new.txt'), 'read')).toBe(join(inside, 'not-yet', 'new.txt'));
    expect(g.checkFs(pathToFileURL(join(inside, 'ok.txt')), 'read')).toBe(join(inside, 'ok.txt'));
  });

  it('denies paths outside, sibling prefixes, .. escapes and symlink escapes', () => {
    const g = new ResourceGovernor({ sandbox: { fsRead: [inside] } });
    expect(() => g.checkFs(join(outside, 'secret.txt'), 'read')).toThrow(denied);
    expect(() => g.checkFs(join(root, 'inside-not'), 'read')).toThrow(denied);
    expect(() => g.checkFs(`${inside}/../outside/secret.txt`, 'read')).toThrow(denied);
    expect(() => g.checkFs(join(inside, 'escape', 'secret.txt'), 'read')).toThrow(denied);
    // `escape/..` is the parent of the link's target (root), not `inside`.
    expect(() => g.checkFs(`${inside}/escape/../inside-not`, 'read')).toThrow(denied);
    expect(() => g.checkFs(`${inside}/missing/../../outside`, 'read')).toThrow(denied);
  });

  it('keeps read and write lists apart', () => {
    const g = new ResourceGovernor({ sandbox: { fsRead: [inside], fsWrite: [outside] } });
    expect(() => g.checkFs(join(inside, 'ok.txt'), 'write')).toThrow(denied);
    expect(g.checkFs(join(outside, 'new.txt'), 'write')).toBe(join(outside, 'new.txt'));
    expect(() => g.checkFs(join(outside, 'secret.txt'), 'read')).toThrow(denied);
  });

  it('names the access, the resolved path and the allow-list in the error details', () => {
    const g = new ResourceGovernor({ sandbox: { fsRead: [inside] } });
    try {
      g.checkFs(join(inside, 'escape', 'secret.txt'), 'read');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ details: { kind: 'fs', mode: 'read', allowed: [inside] } });
      expect((e as { details: { target: string } }).details.target).toContain(join(outside, 'secret.txt'));
    }
  });

  it('allows everything without a sandbox, and nothing of a kind whose list is left out', () => {
    expect(new ResourceGovernor().checkFs(join(outside, 'secret.txt'), 'write')).toBe(
      join(outside, 'secret.txt'),
    );
    const g = new ResourceGovernor({ sandbox: { net: ['localhost:*'] } });
    expect(() => g.checkFs(inside, 'read')).toThrow(denied);
  });

  it('validates its arguments', () => {
    const g = new ResourceGovernor();
    for (const [path, mode, where] of [
      ['', 'read', 'path'],
      ['a\0b', 'read', 'path'],
      [42, 'read', 'path'],
      [inside, 'exec', 'mode'],
    ] as const) {
      expect(() => g.checkFs(path as string, mode as 'read')).toThrow(
        expect.objectContaining({
          code: 'MSYS_GOVERNOR_INVALID_ARGUMENT',
          details: expect.objectContaining({ path: where }),
        }),
      );
    }
  });
});

describe('checkNet', () => {
  const g = new ResourceGovernor({
    sandbox: { net: ['127.0.0.1:6379', 'localhost:*', '[::1]:8080', 'API.example.com:443'] },
  });

  it('allows listed endpoints, wildcard ports and bracketed or bare IPv6', () => {
    expect(() => g.checkNet('127.0.0.1', 6379)).not.toThrow();
    expect(() => g.checkNet('localhost', 1)).not.toThrow();
    expect(() => g.checkNet('LOCALHOST', 65535)).not.toThrow();
    expect(() => g.checkNet('::1', 8080)).not.toThrow();
    expect(() => g.checkNet('[::1]', 8080)).not.toThrow();
    expect(() => g.checkNet('api.example.com', 443)).not.toThrow();
  });

  it('denies other ports and hosts with MSYS_PERMISSION_DENIED (no DNS: names are compared as written)', () => {
    expect(() => g.checkNet('127.0.0.1', 6380)).toThrow(denied);
    expect(() => g.checkNet('127.0.0.2', 6379)).toThrow(denied);
    expect(() => g.checkNet('::1', 8081)).toThrow(denied);
    expect(() => g.checkNet('127.0.0.1', 80)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ kind: 'net', target: '127.0.0.1:80' }) }),
    );
  });

  it('validates host and port', () => {
    expect(() => g.checkNet('', 80)).toThrow(
      expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }),
    );
    expect(() => g.checkNet('localhost', 70000)).toThrow(
      expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }),
    );
    expect(() => g.checkNet('localhost', 1.5)).toThrow(
      expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }),
    );
  });
});
