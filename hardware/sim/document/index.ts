// The test-document factory: signed LDS files for synthetic people, CSCAs and master lists.
export * from './types';
export { createCsca, createDocument, tamper, issueSigner, DG2_TARGET_BYTES } from './document-factory';
export { createMasterList, encodeCscaMasterList } from './master-list';
export { td1, td2, td3, checkDigit, nameField, nameTruncated } from './mrz';
export { encodeDg1, encodeDg11, encodeDg12, encodeDg14ActiveAuth, encodeDg15, encodeEfCom, DG_TAGS, ECDSA_PLAIN_OIDS, ID_AA } from './lds';
export { encodeDg2, encodeFacialRecord } from './dg2';
export { drawFace, encodeJpeg, encodeJpegNear, encodeJpeg2000Near, jp2File } from './face-image';
export { ldsSecurityObject, encodeSod, unwrapSod, sha256 } from './sod';
export { toPem } from './pki';
export { createCrl, createLinkCertificate, serialOf } from './revocation';
