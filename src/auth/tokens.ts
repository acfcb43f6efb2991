import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AirlockError } from '../errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Database } from '../store/database.js';
import type { AuditLog } from '../store/ports.js';
import type { TokensTable } from '../store/tables.js';
import { roles, type Principal, type Role } from './principal.js';

/** A token as listings show it; the secret itself is never stored or shown again. */
export interface TokenRecord {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  /** The token's first characters, to tell tokens apart. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export const tokenPrefix = 'airlock_';
const tokenPattern = /^airlock_[A-Za-z0-9_-]{43}$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const lastUsedResolutionMs = 60_000;

/** API tokens: created and revoked with an audit trail, checked by hash on every request. */
export class TokenStore {
  readonly #database: Database;
  readonly #audit: AuditLog;
  readonly #clock: Clock;

  constructor(database: Database, audit: AuditLog, clock: Clock = systemClock) {
    this.#database = database;
    this.#audit = audit;
    this.#clock = clock;
  }

  /** Makes a token; the returned `token` is the only time the secret exists outside the caller. */
  async create(input: { name: string; role: Role; createdBy: string }): Promise<{
    token: string;
    record: TokenRecord;
  }> {
    if (!namePattern.test(input.name) || /^\d+$/.test(input.name)) {
      throw new AirlockError(
        'BAD_REQUEST',
        `token name "${input.name.slice(0, 80)}" is not valid: use 1–64 letters, digits, ".", "_" or "-", not only digits`,
      );
    }
    if (!(roles as readonly string[]).includes(input.role)) {
      throw new AirlockError('BAD_REQUEST', `role "${input.role}" is not one of ${roles.join(', ')}`);
    }
    const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
    const db = this.#database.db;
    const row = await db
      .insertInto('tokens')
      .values({
        name: input.name,
        role: input.role,
        token_hash: hashToken(token),
        prefix: token.slice(0, tokenPrefix.length + 6),
        created_at: this.#clock.now().toISOString(),
        created_by: input.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(async (cause: unknown) => {
        throw (await this.#activeByName(input.name))
          ? new AirlockError(
              'CONFLICT',
              `a token named ${input.name} already exists; revoke it first or pick another name`,
              { cause },
            )
          : cause;
      });
    try {
      await this.#audit.append({
        actor: input.createdBy,
        action: 'token.create',
        subject: `token:${input.name}`,
        details: { id: row.id, role: input.role, prefix: row.prefix },
      });
    } catch (error) {
      // A token nobody can account for must not exist.
      await db.deleteFrom('tokens').where('id', '=', row.id).execute();
      throw error;
    }
    return { token, record: toRecord(row) };
  }

  /** Every token, newest first, revoked ones included. */
  async list(): Promise<TokenRecord[]> {
    const rows = await this.#database.db.selectFrom('tokens').selectAll().orderBy('id', 'desc').execute();
    return rows.map(toRecord);
  }

  /** Revokes a token by id or by name; NOT_FOUND when no unrevoked token matches. */
  async revoke(idOrName: string | number, revokedBy = 'system'): Promise<TokenRecord> {
    const db = this.#database.db;
    const byId = typeof idOrName === 'number' || /^\d+$/.test(idOrName);
    let query = db.selectFrom('tokens').selectAll().where('revoked_at', 'is', null);
    query = byId ? query.where('id', '=', Number(idOrName)) : query.where('name', '=', idOrName);
    const row = await query.executeTakeFirst();
    if (!row) {
      throw new AirlockError(
        'NOT_FOUND',
        `no active token ${byId ? 'with id' : 'named'} ${String(idOrName)}; see \`airlock token list\``,
      );
    }
    const revokedAt = this.#clock.now().toISOString();
    const result = await db
      .updateTable('tokens')
      .set({ revoked_at: revokedAt })
      .where('id', '=', row.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new AirlockError('NOT_FOUND', `token ${row.name} was revoked meanwhile`);
    }
    await this.#audit.append({
      actor: revokedBy,
      action: 'token.revoke',
      subject: `token:${row.name}`,
      details: { id: row.id, role: row.role, prefix: row.prefix },
    });
    return toRecord({ ...row, revoked_at: revokedAt });
  }

  /** The principal a bearer token stands for, or undefined for unknown, malformed or revoked tokens. */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (typeof token !== 'string' || !tokenPattern.test(token)) return undefined;
    const hash = hashToken(token);
    const row = await this.#database.db
      .selectFrom('tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    // The lookup is by hash, so its timing says nothing useful about the token; compare in constant time anyway.
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) return undefined;
    if (row.revoked_at !== null || !isRole(row.role)) return undefined;
    await this.#touch(row);
    return { name: row.name, role: row.role, tokenId: row.id };
  }

  /** Records use at most once a minute per token, so busy tokens do not write on every request. */
  async #touch(row: Selectable<TokensTable>): Promise<void> {
    const now = this.#clock.now();
    const last = row.last_used_at === null ? 0 : Date.parse(row.last_used_at);
    if (now.getTime() - last < lastUsedResolutionMs) return;
    try {
      await this.#database.db
        .updateTable('tokens')
        .set({ last_used_at: now.toISOString() })
        .where('id', '=', row.id)
        .execute();
    } catch {
      // Bookkeeping only: a busy database must not turn a valid token away.
    }
  }

  async #activeByName(name: string): Promise<boolean> {
    const row = await this.#database.db
      .selectFrom('tokens')
      .select('id')
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }
}

/** sha256 hex of a token: what the database keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

function toRecord(row: Selectable<TokensTable>): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    // Only create() writes roles, and it checks them.
    role: row.role as Role,
    prefix: row.prefix,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
