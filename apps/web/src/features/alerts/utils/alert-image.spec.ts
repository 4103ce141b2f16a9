import { describe, expect, it } from 'vitest';
import { alertImage } from './alert-image';

describe('alertImage', () => {
  it("joins Falco's repository and tag", () => {
    expect(
      alertImage({ output_fields: { 'container.image.repository': 'nginx', 'container.image.tag': '1.27' } }),
    ).toBe('nginx:1.27');
    expect(alertImage({ output_fields: { 'container.image.repository': 'nginx', 'container.image.tag': '' } })).toBe(
      'nginx',
    );
  });

  it("falls back to an audited pod's images, as a list or a string", () => {
    expect(alertImage({ output_fields: { 'ka.req.pod.containers.image': ['nginx', 'busybox:1'] } })).toBe(
      'nginx, busybox:1',
    );
    expect(alertImage({ output_fields: { 'ka.req.pod.containers.image': '[nginx]' } })).toBe('[nginx]');
  });

  it('is undefined without image fields', () => {
    expect(alertImage({ output_fields: { 'k8s.pod.name': 'web-1' } })).toBeUndefined();
    expect(alertImage({ output_fields: { 'container.image.repository': null } })).toBeUndefined();
  });
});
