// Regenerates the committed test documents in hardware/fixtures/<name>/ (synthetic data only):
//   npx tsx hardware/tools/make-fixtures.ts              every fixture, under one new Utopia CSCA
//   npx tsx hardware/tools/make-fixtures.ts --only NAME  one fixture under a CSCA of its own (its
//                                                        csca.der), the others left as they are
// Keys and certificates are new on every run; the people and pictures stay the same.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCsca, createDocument, createMasterList } from '../sim/document/index';
import { toPem } from '../sim/document/pki';
import { FIXTURE_SPECS } from '../fixtures/fixture-set';
import { FILE_NAMES } from '../fixtures/index';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

const TEST_ONLY = '# TEST ONLY: synthetic Active Authentication key of a virtual test passport. Not a secret, never use it for anything else.\n';

async function main(): Promise<void> {
  const only = process.argv[2] === '--only' ? process.argv[3] : undefined;
  if (only && !FIXTURE_SPECS.some((s) => s.name === only)) throw new Error('no fixture ' + only);
  const csca = await createCsca({ signature: 'rsa', commonName: 'Utopia Test CSCA', rsaBits: 3072 });
  if (!only) {
    writeFileSync(join(root, 'utopia-csca.der'), csca.certificate);
    writeFileSync(join(root, 'utopia-csca.pem'), toPem(csca.certificate));
    writeFileSync(join(root, 'master-list.der'), await createMasterList([csca]));
  }
  for (const spec of FIXTURE_SPECS.filter((s) => !only || s.name === only)) {
    const doc = await createDocument(spec.person, { ...spec.options, csca });
    const dir = join(root, spec.name);
    mkdirSync(dir, { recursive: true });
    const files: { [name: string]: number } = {};
    for (const id of Object.keys(doc.files).map(Number)) {
      const fileName = FILE_NAMES[id];
      writeFileSync(join(dir, fileName), doc.files[id]);
      files[fileName] = doc.files[id].length;
    }
    writeFileSync(join(dir, 'csca.der'), doc.cscaCertificate);
    writeFileSync(join(dir, 'csca.pem'), toPem(doc.cscaCertificate));
    writeFileSync(join(dir, 'ds.der'), doc.documentSignerCertificate);
    if (doc.activeAuthPrivateKey) {
      writeFileSync(join(dir, 'aa-key.pem'), TEST_ONLY + doc.activeAuthPrivateKey.export({ type: 'pkcs8', format: 'pem' }));
    }
    if (doc.chipAuthPrivateKey) {
      writeFileSync(join(dir, 'ca-key.pem'), TEST_ONLY.replace('Active Authentication', 'Chip Authentication') + doc.chipAuthPrivateKey.export({ type: 'pkcs8', format: 'pem' }));
    }
    const json = {
      name: spec.name,
      description: spec.description,
      note: 'Synthetic test data made by hardware/tools/make-fixtures.ts; the face is drawn, not photographed.',
      person: doc.person,
      mrz: doc.mrz,
      bac: { documentNumber: spec.person.documentNumber, dateOfBirth: spec.person.dateOfBirth, dateOfExpiry: spec.person.dateOfExpiry },
      signature: spec.options.signature,
      face: spec.options.face,
      ...(spec.options.paceOnly ? { paceOnly: true } : {}),
      files,
    };
    writeFileSync(join(dir, 'document.json'), JSON.stringify(json, null, 2) + '\n');
    console.log(`${spec.name}: ${Object.entries(files).map(([n, s]) => `${n} ${s}`).join(', ')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
