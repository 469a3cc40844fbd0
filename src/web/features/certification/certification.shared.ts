// Domain vocabulary shared with the server (src/shared), re-exported for the web feature.
export { serviceCategories, skillLevels, type TrustColor } from '../../../shared/domain';

export type CertificateStateCode = 'active' | 'suspended' | 'revoked';
