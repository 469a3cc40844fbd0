import { describe, expect, test } from 'vitest';
import {
  availableContractActions,
  contractActions,
  contractParties,
  contractStates,
  type ContractAction,
  type ContractParty,
  type ContractState,
  isEffective,
  transitionContract,
} from '../contract-status.js';

const P: ContractParty[] = ['resident', 'company', 'worker'];
// The whole table written out independently: [action, from states, to (null = stays), parties].
const expected: [ContractAction, ContractState[], ContractState | null, ContractParty[]][] = [
  ['edit', ['draft'], null, P],
  ['sign', ['draft', 'signing'], 'signing', P],
  ['seal', ['signing'], 'filed', ['system']],
  ['void', ['draft', 'signing'], 'void', ['resident', 'company', 'system']],
  ['request_termination', ['filed'], 'terminating', P],
  ['confirm_termination', ['terminating'], null, P],
  ['complete_termination', ['terminating'], 'terminated', ['system']],
  ['dispute', ['terminating'], 'disputed', P],
  ['supersede', ['filed'], 'superseded', ['system']],
];

describe('contract transition table: every state × action × party', () => {
  for (const [action, from, to, by] of expected)
    for (const state of contractStates)
      for (const party of contractParties) {
        const allowed = from.includes(state) && by.includes(party);
        test(`${action} from ${state} by ${party} → ${allowed ? 'allowed' : 'refused'}`, () => {
          const r = transitionContract({ from: state, action, by: party });
          if (allowed) expect(r).toEqual({ ok: true, to: to ?? state });
          else
            expect(r).toEqual({
              ok: false,
              error: from.includes(state) ? 'not_your_step' : 'invalid_transition',
            });
        });
      }

  test('the expectation covers every action', () => {
    expect(expected.map((e) => e[0]).sort()).toEqual([...contractActions].sort());
  });
});

describe('effectiveness and buttons', () => {
  test('only filed (and a filed contract being terminated) is in force; nothing half-signed is', () => {
    expect(contractStates.filter(isEffective)).toEqual(['filed', 'terminating']);
  });
  test('a party sees sign and edit on a draft, and termination on a filed contract', () => {
    expect(availableContractActions('draft', 'resident')).toEqual(['edit', 'sign', 'void']);
    expect(availableContractActions('draft', 'worker')).toEqual(['edit', 'sign']);
    expect(availableContractActions('filed', 'company')).toEqual(['request_termination']);
    expect(availableContractActions('terminated', 'company')).toEqual([]);
  });
});
