import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

import { keychainServiceFor } from '../../src/auth/keychain.js'

describe('keychainServiceFor', () => {
  it('files the standard config dir under kick-cli, a moved one under its absolute path', () => {
    expect(keychainServiceFor('/home/me/.config/kick', '/home/me/.config/kick', 'linux')).toBe('kick-cli')
    expect(keychainServiceFor('/tmp/ci/kick/', '/home/me/.config/kick', 'linux')).toBe(
      'kick-cli:/tmp/ci/kick',
    )
    // a relative XDG_CONFIG_HOME names the directory it means, not the words typed
    expect(keychainServiceFor('cfg/kick', '/home/me/.config/kick', 'linux')).toBe(
      `kick-cli:${resolve('cfg/kick')}`,
    )
  })

  it('ignores the letter case and separators of a Windows path, which name one directory', () => {
    const standard = 'C:\\Users\\Me\\AppData\\Roaming\\kick'
    expect(keychainServiceFor('c:\\users\\me\\appdata\\roaming\\KICK', standard, 'win32')).toBe('kick-cli')
    expect(keychainServiceFor('c:/Users/Me/AppData/Roaming/kick/', standard, 'win32')).toBe('kick-cli')
    const moved = ['D:\\Work\\Config\\kick', 'd:\\work\\config\\kick', 'D:/WORK/config/kick/']
    expect(new Set(moved.map((dir) => keychainServiceFor(dir, standard, 'win32')))).toEqual(
      new Set(['kick-cli:d:\\work\\config\\kick']),
    )
  })

  it('keeps letter case on Linux, where /home/Me and /home/me are two directories', () => {
    expect(keychainServiceFor('/home/Me/kick', '/home/me/kick', 'linux')).toBe('kick-cli:/home/Me/kick')
  })
})
