/**
 * Files named by settings that hold key material: CA bundles, certificates with their private
 * keys, and passwords. Each is read and checked at start-up, so a wrong path, a file that is
 * not PEM or a key of another certificate stops the process with one line naming the setting
 * (ClvError INVALID_CONFIG) instead of failing the first connection minutes later.
 *
 * Messages name the setting and its path, never the file's content: a password or a private
 * key must not reach a log because its file was mistyped.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { value, type Env } from './env.js';

export type ReadFile = (path: string) => string;

/** A certificate and its private key, both PEM. Named `privateKey` so the root logger's redaction list covers it. */
export interface CertificateAndKey {
  cert: string;
  privateKey: string;
}

function invalidFile(name: string, path: string, problem: string, cause?: unknown): never {
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting ${name}=${JSON.stringify(path)}: ${problem}`, cause === undefined ? {} : { cause });
}

function readSetting(name: string, path: string, readFile: ReadFile): string {
  try {
    return readFile(path);
  } catch (cause) {
    return invalidFile(name, path, `cannot read it (${(cause as Error).message})`, cause);
  }
}

/** The PEM certificates of `text`, each parsed; a file without one is refused. */
function certificates(name: string, path: string, text: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) invalidFile(name, path, 'expected a PEM file with at least one -----BEGIN CERTIFICATE----- block');
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      return invalidFile(name, path, `certificate ${i + 1} of the file does not parse (expected PEM X.509)`);
    }
  });
}

/**
 * The PEM text of the CA file named by setting `name`, or null when unset. `needs` names what
 * must also be set for the file to be used at all (null: nothing): a CA file that would be
 * silently ignored is refused, since whoever set it meant the connection to be encrypted.
 */
export function caFile(env: Env, name: string, needs: string | null, readFile: ReadFile): string | null {
  const path = value(env, name);
  if (path === null) return null;
  if (needs !== null) throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting ${name}: it is set but unused, it needs ${needs}`);
  const text = readSetting(name, path, readFile);
  certificates(name, path, text);
  return text;
}

/**
 * A certificate file and its key file (settings `certName`, `keyName`): both or neither, read
 * now, the key unencrypted PEM and the private key of the file's first certificate.
 */
export function certificateAndKey(env: Env, certName: string, keyName: string, readFile: ReadFile): CertificateAndKey | null {
  const certPath = value(env, certName);
  const keyPath = value(env, keyName);
  if (certPath === null && keyPath === null) return null;
  if (certPath === null || keyPath === null) throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid settings: ${certName} and ${keyName} go together, set both or neither`);
  const cert = readSetting(certName, certPath, readFile);
  const privateKey = readSetting(keyName, keyPath, readFile);
  const [leaf] = certificates(certName, certPath, cert);
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    return invalidFile(keyName, keyPath, 'expected an unencrypted PEM private key');
  }
  if (!leaf.checkPrivateKey(key)) invalidFile(keyName, keyPath, `not the private key of the certificate in ${certName} (${leaf.subject.replace(/\n/g, ', ')})`);
  return { cert, privateKey };
}

/**
 * A password given inline (`name`) or in a file (`name`_FILE, e.g. a mounted Kubernetes
 * secret): one or the other, never both; null when neither is set. Inline values are taken as
 * they are (a password may begin or end with a space); a file loses one trailing line break,
 * which editors and `echo` add.
 */
export function passwordSetting(env: Env, name: string, readFile: ReadFile): string | null {
  const fileName = `${name}_FILE`;
  const inline = env[name];
  const path = value(env, fileName);
  const hasInline = inline !== undefined && inline !== '';
  if (hasInline && path !== null) throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid settings: set ${name} or ${fileName}, not both`);
  if (hasInline) return inline;
  if (path === null) return null;
  const text = readSetting(fileName, path, readFile).replace(/\r?\n$/, '');
  if (text === '') invalidFile(fileName, path, 'the file is empty');
  return text;
}
