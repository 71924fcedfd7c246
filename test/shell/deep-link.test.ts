import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from '../../main/shell/deep-link.js';

describe('conn:// deep links', () => {
  it('parses a link to an incident', () => {
    expect(parseDeepLink('conn://incident/INC-7KQ2XM')).toEqual({ kind: 'incident', ref: 'INC-7KQ2XM' });
  });

  it('accepts a lower-case reference and returns it upper-cased', () => {
    expect(parseDeepLink('conn://incident/inc-7kq2xm')).toEqual({ kind: 'incident', ref: 'INC-7KQ2XM' });
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'https://incident/INC-7KQ2XM'],
    ['another action', 'conn://delete/INC-7KQ2XM'],
    ['a short reference', 'conn://incident/INC-7KQ'],
    ['a long reference', 'conn://incident/INC-7KQ2XMA'],
    ['letters outside Crockford base32', 'conn://incident/INC-7KQ2XU'],
    ['a trailing slash', 'conn://incident/INC-7KQ2XM/'],
    ['extra path', 'conn://incident/INC-7KQ2XM/edit'],
    ['a query', 'conn://incident/INC-7KQ2XM?x=1'],
    ['a fragment', 'conn://incident/INC-7KQ2XM#top'],
    ['no reference', 'conn://incident/'],
    ['a missing prefix', 'conn://incident/7KQ2XM'],
  ])('rejects a malformed link: %s', (_why, link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it.each([
    ['credentials', 'conn://user:pass@incident/INC-7KQ2XM'],
    ['a port', 'conn://incident:8080/INC-7KQ2XM'],
    ['path traversal', 'conn://incident/../../etc/passwd'],
    ['an encoded slash', 'conn://incident/INC-7KQ2XM%2F..'],
    ['encoded characters in the ref', 'conn://incident/INC-%37KQ2XM'],
    ['a javascript: payload', 'conn://incident/javascript:alert(1)'],
    ['a newline', 'conn://incident/INC-7KQ2XM\n--inspect'],
    ['a NUL byte', 'conn://incident/INC-7KQ2XM\u0000'],
    ['an enormous link', `conn://incident/INC-7KQ2XM${'A'.repeat(10_000)}`],
    ['a command-line flag', '--inspect=9229'],
  ])('rejects a hostile link: %s', (_why, link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it('rejects values that are not strings', () => {
    for (const v of [null, undefined, 42, { href: 'conn://incident/INC-7KQ2XM' }, ['conn://incident/INC-7KQ2XM']]) expect(parseDeepLink(v)).toBeNull();
  });

  it('finds the link in a second instance argv and ignores the other arguments', () => {
    const argv = ['/opt/Conn/conn', '--no-sandbox', 'conn://incident/INC-0ABCDE'];
    expect(deepLinkFromArgv(argv)).toEqual({ kind: 'incident', ref: 'INC-0ABCDE' });
  });

  it('skips a bad link in argv and finds none when nothing parses', () => {
    expect(deepLinkFromArgv(['/opt/Conn/conn', 'conn://incident/evil', '--flag'])).toBeNull();
    expect(deepLinkFromArgv(['conn://incident/evil', 'conn://incident/INC-0ABCDE'])).toEqual({ kind: 'incident', ref: 'INC-0ABCDE' });
  });
});
