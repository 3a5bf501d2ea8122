import { digest } from './fixtures';
import { ImageReference } from '../../src/image-build';

const D = digest('x');

describe('ImageReference', () => {
  test.each([
    ['harbor.bank.example/platform/run:1.0', 'harbor.bank.example', 'platform/run', '1.0', undefined],
    [`harbor.bank.example:8443/a/b/c@${D}`, 'harbor.bank.example:8443', 'a/b/c', undefined, D],
    [`localhost/app:dev@${D}`, 'localhost', 'app', 'dev', D],
    ['paketobuildpacks/run', 'docker.io', 'paketobuildpacks/run', undefined, undefined],
    ['busybox', 'docker.io', 'library/busybox', undefined, undefined],
    ['gcr.io/paketo-buildpacks/java__x.y-z:13.1.0', 'gcr.io', 'paketo-buildpacks/java__x.y-z', '13.1.0', undefined],
  ])('parses %s', (ref, registry, repository, tag, dig) => {
    const r = ImageReference.parse(ref);
    expect(r.registry).toBe(registry);
    expect(r.repository).toBe(repository);
    expect(r.tag).toBe(tag);
    expect(r.digest).toBe(dig);
    expect(r.isDigestPinned).toBe(dig !== undefined);
    expect(ImageReference.isValid(ref)).toBe(true);
  });

  test('toString is the normalized reference', () => {
    expect(ImageReference.parse(`busybox:1@${D}`).toString()).toBe(`docker.io/library/busybox:1@${D}`);
    expect(ImageReference.parse('harbor.bank.example/p/a').name).toBe('harbor.bank.example/p/a');
  });

  test.each([
    ['', /is empty/],
    [' harbor.bank.example/p/a', /whitespace/],
    ['https://harbor.bank.example/p/a', /URL scheme/],
    ['harbor.bank.example/p/a@sha256:abc', /not sha256: followed by 64 lowercase hex/],
    [`harbor.bank.example/p/a@${D.toUpperCase().replace('SHA256', 'sha256')}`, /64 lowercase hex/],
    [`harbor.bank.example/p/a@sha512:${'a'.repeat(128)}`, /not sha256/],
    ['harbor.bank.example/P/App', /path components must be lowercase/],
    ['harbor.bank.example/p/a:-bad', /has tag "-bad"/],
    ['harbor.bank.example//a', /path components/],
    ['bad_host.example/p/a', /path components|registry/],
  ])('refuses %j', (ref, message) => {
    expect(ImageReference.isValid(ref)).toBe(false);
    expect(() => ImageReference.parse(ref)).toThrow(message);
  });

  test('the error has the house shape', () => {
    expect(() => ImageReference.parse('harbor.bank.example/p/a@sha256:abc')).toThrow(
      /^\[ImageReference\.parse\] 'ref' has digest "sha256:abc", which is not sha256: followed by 64 lowercase hex digits, got "harbor\.bank\.example\/p\/a@sha256:abc"; write a reference such as/,
    );
  });
});
