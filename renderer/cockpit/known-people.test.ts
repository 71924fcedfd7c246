import { describe, expect, it } from 'vitest';
import { knownPeople } from './known-people.js';

const none = { roles: {}, declaredBy: null, actions: [], hypotheses: [], decisions: [], handoffs: [], calls: [] };
const author = (name: string, editedBy: string | null = null) => ({ author: { id: name, name }, editedBy });

describe('knownPeople', () => {
  it('is just me on an incident that names nobody', () => {
    expect(knownPeople(none, [], 'Ana')).toEqual(['Ana']);
    expect(knownPeople(none, [], null)).toEqual([]);
  });

  it('gathers everyone the incident and the loaded timeline mention, me first, the rest by name', () => {
    const incident = {
      ...none,
      roles: { commander: { person: 'Zoe', since: '', by: '' } },
      declaredBy: 'Bo',
      actions: [{ id: 'a', text: '', owner: 'Kenji', due: null, state: 'open' as const, createdAt: '', createdBy: 'Ana', redacted: false }],
      hypotheses: [{ id: 'h', text: '', state: 'open' as const, at: '', author: 'Liu', redacted: false }],
      handoffs: [{ id: 'o', role: 'ops', from: 'Bo', to: 'Mia', brief: '', at: '', acceptedBy: null, acceptedAt: null, redacted: false }],
    };
    expect(knownPeople(incident, [author('Carl'), author('Bo', 'Dee')], 'Ana')).toEqual(['Ana', 'Bo', 'Carl', 'Dee', 'Kenji', 'Liu', 'Mia', 'Zoe']);
  });

  it('lists one spelling per person, the first seen, and never me twice', () => {
    expect(knownPeople({ ...none, declaredBy: 'ana' }, [author('BO'), author('bo '), author('Ana')], ' Ana ')).toEqual(['Ana', 'BO']);
  });
});
