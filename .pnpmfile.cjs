// pnpm hooks for this workspace.
//
// The zstd-napi addon downloads a prebuilt binary, or builds one with node-gyp, which downloads Node's headers from
// nodejs.org. On a machine without internet whose Node came with its headers (Debian's nodejs, under
// /usr/include/node), node-gyp is pointed at those instead, as npm's `nodedir` setting would: pnpm passes lifecycle
// scripts only the environment its config names. An explicit npm_config_nodedir wins.
const fs = require('node:fs');
const path = require('node:path');

/** The directory holding include/node for the running Node, if its version header matches it. */
function localNodeDir() {
  const prefix = path.dirname(path.dirname(process.execPath));
  try {
    const header = fs.readFileSync(path.join(prefix, 'include', 'node', 'node_version.h'), 'utf8');
    const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(header)?.[1];
    return `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.version ? prefix : undefined;
  } catch {
    return undefined;
  }
}

module.exports = {
  hooks: {
    updateConfig(config) {
      const nodedir = process.env.npm_config_nodedir || localNodeDir();
      return nodedir ? { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: nodedir } } : config;
    },
  },
};
