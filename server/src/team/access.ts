import { z } from 'zod';

/**
 * Who may do what with a shared destination (seed §9.2). The owner (the
 * person who added it) may do everything; a `write` grant lets a person
 * export to it; an `admin` grant also lets them change it, remove it and
 * grant or revoke access. Everyone with the team store sees the list.
 */

export const PERMISSIONS = ['read', 'write', 'admin'] as const;
export const permissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permissionSchema>;

export interface AccessGrant {
  userId: string;
  permission: Permission;
  grantedBy: string;
  grantedAt: string;
}

export interface Owned {
  owner: string;
  grants: readonly AccessGrant[];
}

function permissionOf(destination: Owned, actor: string): Permission | undefined {
  return destination.grants.find((g) => g.userId === actor)?.permission;
}

export function mayExport(destination: Owned, actor: string): boolean {
  if (destination.owner === actor) return true;
  const permission = permissionOf(destination, actor);
  return permission === 'write' || permission === 'admin';
}

/** Change, remove, grant and revoke. */
export function mayAdminister(destination: Owned, actor: string): boolean {
  return destination.owner === actor || permissionOf(destination, actor) === 'admin';
}

/** Everyone who may export there: the Bin's `allowedUsers` for the destination. */
export function exportersOf(destination: Owned): string[] {
  return [destination.owner, ...destination.grants.filter((g) => g.permission !== 'read').map((g) => g.userId)].filter((u, i, all) => all.indexOf(u) === i);
}
