/** A signature under a preface or foreword (docs/directives.md `:::signature`): a right-aligned block. */
import type { Feature } from '../feature.ts';
import { remarkSignature, SIGNATURE_DIRECTIVES } from './remark-signature.ts';

export const signatureFeature: Feature = {
  name: 'signature',
  directives: SIGNATURE_DIRECTIVES,
  parts: () => ({ blocks: [remarkSignature] }),
};
