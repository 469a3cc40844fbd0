/** Public-key signatures: Ed25519 (`intl`) and SM2 with SM3 (`gm`, GB/T 32918.2). */
export {
  generateSigningKey,
  importSigningKey,
  importVerifyKey,
  SIGN_ALGORITHM,
  SIGN_SUITES,
  SignKeyError,
  type KeyOptions,
  type SigningKey,
  type SignSuite,
  type VerifyKey,
} from './signer.js';
export { SM2_DEFAULT_USER_ID } from './sm2.js';
