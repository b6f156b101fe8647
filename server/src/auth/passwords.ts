import { hash, verify } from '@node-rs/argon2';

// OWASP's minimum for argon2id; @node-rs/argon2 ships prebuilt binaries, so no compiler is needed.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
