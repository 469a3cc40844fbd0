export {
  availableContractActions,
  contractStates,
  type ContractAction,
  type ContractParty,
  type ContractState,
  transitionContract,
} from './contract-status.js';
export { checkTerms, type ContractKind, type ContractTerms } from './contract-terms.js';
export {
  type ContractDetail,
  type ContractEventPayload,
  type ContractsEvents,
  type ContractsService,
  createContractsService,
} from './contracts.service.js';
export { contractsRoutes } from './contracts.routes.js';
export { type ContractsSeedInput, seedContracts } from './contracts.seed.js';
export { purgeEndedContracts } from './retention.js';
export { type ContractDealingFact, contractsOfWorker } from './efile-facts.js';
