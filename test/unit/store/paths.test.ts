import { strict as assert } from 'node:assert';
import { resolveStoreDir } from '../../../server/src/store/paths';

describe('resolveStoreDir', () => {
  const linuxHome = '/home/ada';

  it('prefers the --store flag over the variable and the platform folder', () => {
    const dir = resolveStoreDir({
      flag: '/srv/store',
      env: { DEVGUIDE_EXPORT_STORE: '/env/store', XDG_DATA_HOME: '/xdg' },
      platform: 'linux',
      homedir: linuxHome,
    });
    assert.equal(dir, '/srv/store');
  });

  it('uses DEVGUIDE_EXPORT_STORE when there is no flag', () => {
    assert.equal(
      resolveStoreDir({ env: { DEVGUIDE_EXPORT_STORE: '/env/store' }, platform: 'linux', homedir: linuxHome }),
      '/env/store',
    );
  });

  it('treats an empty flag or variable as not given', () => {
    assert.equal(
      resolveStoreDir({ flag: '', env: { DEVGUIDE_EXPORT_STORE: '  ' }, platform: 'linux', homedir: linuxHome }),
      '/home/ada/.local/share/devguide-export',
    );
  });

  it('resolves a relative flag against cwd when given, and expands ~', () => {
    assert.equal(
      resolveStoreDir({ flag: 'state', env: {}, platform: 'linux', homedir: linuxHome, cwd: '/work/repo' }),
      '/work/repo/state',
    );
    assert.equal(
      resolveStoreDir({ env: { DEVGUIDE_EXPORT_STORE: '~/exports-store' }, platform: 'linux', homedir: linuxHome }),
      '/home/ada/exports-store',
    );
    assert.equal(resolveStoreDir({ flag: 'state', env: {}, platform: 'linux', homedir: linuxHome }), 'state');
  });

  it('uses XDG_DATA_HOME on Linux when it is absolute', () => {
    assert.equal(
      resolveStoreDir({ env: { XDG_DATA_HOME: '/data/ada' }, platform: 'linux', homedir: linuxHome }),
      '/data/ada/devguide-export',
    );
  });

  it('falls back to ~/.local/share on Linux, ignoring a relative XDG_DATA_HOME', () => {
    assert.equal(resolveStoreDir({ env: {}, platform: 'linux', homedir: linuxHome }), '/home/ada/.local/share/devguide-export');
    assert.equal(
      resolveStoreDir({ env: { XDG_DATA_HOME: 'relative/data' }, platform: 'linux', homedir: linuxHome }),
      '/home/ada/.local/share/devguide-export',
    );
  });

  it('treats other Unix platforms like Linux', () => {
    assert.equal(
      resolveStoreDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'freebsd', homedir: '/usr/home/ada' }),
      '/xdg/devguide-export',
    );
  });

  it('uses ~/Library/Application Support on macOS, ignoring XDG_DATA_HOME', () => {
    assert.equal(
      resolveStoreDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'darwin', homedir: '/Users/ada' }),
      '/Users/ada/Library/Application Support/devguide-export',
    );
  });

  it('uses %LOCALAPPDATA% on Windows', () => {
    assert.equal(
      resolveStoreDir({ env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, platform: 'win32', homedir: 'C:\\Users\\ada' }),
      'C:\\Users\\ada\\AppData\\Local\\devguide-export',
    );
  });

  it('falls back to ~\\AppData\\Local on Windows without LOCALAPPDATA', () => {
    assert.equal(
      resolveStoreDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\ada' }),
      'C:\\Users\\ada\\AppData\\Local\\devguide-export',
    );
  });

  it('takes a Windows flag as given', () => {
    assert.equal(
      resolveStoreDir({ flag: 'D:\\stores\\dg', env: {}, platform: 'win32', homedir: 'C:\\Users\\ada' }),
      'D:\\stores\\dg',
    );
  });
});
