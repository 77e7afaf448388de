import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { navigationFor, type NavigationSection } from './navigation.ts'

const sections: NavigationSection[] = [
  { messageKey: 'navigation.people', items: [{ messageKey: 'roll', href: '/roll', permission: 'roll.view' }] },
  {
    messageKey: 'navigation.safety',
    items: [
      { messageKey: 'dashboard', href: '/safer-custody', permission: 'journey.view-gaps' },
      { messageKey: 'gaps', href: '/responsibility-gaps', permission: 'journey.view-gaps' },
      { messageKey: 'accountability', href: '/accountability', permission: 'journey.view' },
    ],
  },
  { messageKey: 'navigation.staff', items: [{ messageKey: 'staff', href: '/staff', permission: 'staff.view' }] },
]

describe('the menu and the pages of the section the user is in', () => {
  it('shows a section only to a role that may open one of its pages, leading to the first of them', () => {
    const governor = navigationFor(sections, 'governor', '/roll')
    assert.deepEqual(
      governor.menu.map((link) => [link.messageKey, link.href]),
      [
        ['navigation.people', '/roll'],
        ['navigation.safety', '/safer-custody'],
        ['navigation.staff', '/staff'],
      ],
    )
    // Need-to-know: a partner worker holds no roll, so the people section is not theirs.
    const partner = navigationFor(sections, 'partner', '/accountability')
    assert.deepEqual(
      partner.menu.map((link) => [link.messageKey, link.href]),
      [['navigation.safety', '/accountability']],
    )
  })

  it('marks the section and the page the path is in, below the page itself', () => {
    const { menu, section } = navigationFor(sections, 'governor', '/responsibility-gaps?page=2')
    assert.deepEqual(
      menu.filter((link) => link.active).map((link) => link.messageKey),
      ['navigation.safety'],
    )
    assert.deepEqual(
      section?.items.map((link) => [link.messageKey, link.active]),
      [
        ['dashboard', false],
        ['gaps', true],
        ['accountability', false],
      ],
    )
    assert.equal(navigationFor(sections, 'governor', '/safer-custody/settings').section?.items[0]?.active, true)
  })

  it('draws no row of pages for a section of one page, or where no section holds the page', () => {
    assert.equal(navigationFor(sections, 'governor', '/roll').section, undefined)
    assert.equal(navigationFor(sections, 'partner', '/accountability').section, undefined)
    const person = navigationFor(sections, 'governor', '/people/A1234BC')
    assert.equal(person.section, undefined)
    assert.equal(
      person.menu.some((link) => link.active),
      false,
    )
  })

  it('does not take a page for another that merely starts with the same letters', () => {
    const { menu } = navigationFor(sections, 'governor', '/staffing-plan')
    assert.equal(
      menu.some((link) => link.active),
      false,
    )
  })
})
