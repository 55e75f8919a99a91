// Owns the admin area's IPC contract (src-tauri/src/commands/admin.rs over crates/fanbase-admin).
import { Channel, invoke } from '@tauri-apps/api/core';
import { toApiError } from '../api';

/** The contract's role values, in rank order. */
export type Role = 'AGENCY_OWNER' | 'AGENCY_ADMIN' | 'SUBACCOUNT_USER' | 'SUBACCOUNT_GUEST';

export type UserSortField =
  | 'name'
  | 'email'
  | 'role'
  | 'admin'
  | 'stripe_connected'
  | 'created_at'
  | 'last_sign_in_at'
  | 'fan_stores';

export interface UserSort {
  field: UserSortField;
  desc: boolean;
}

/** The users table's request; absent filters match everyone. */
export interface UserQuery {
  search: string;
  role: Role | null;
  admin: boolean | null;
  stripe_connected: boolean | null;
  signed_in_within_days: number | null;
  sort: UserSort;
  after: string | null;
  /** 1..=1000. */
  limit: number;
}

export interface UserRow {
  id: string;
  cursor: string;
  email: string;
  name: string;
  image_url: string;
  role: Role;
  admin: boolean;
  stripe_connected: boolean;
  stripe_connect_account_id: string;
  /** ms since the epoch. */
  created_at: number;
  last_sign_in_at: number | null;
  fan_stores: number;
}

export interface UsersPage {
  rows: UserRow[];
  next: string | null;
}

export interface FanOf {
  store_id: string;
  store_name: string;
  customer_id: number;
  type: string;
  status: string;
  total_spent_cents: number;
  purchases: number;
  enrollments: number;
}

export interface UserDetail {
  user: UserRow;
  clerk_id: string;
  updated_at: number;
  fan_of: FanOf[];
}

/** What to change; at least one of the two. */
export interface RoleChange {
  role: Role | null;
  admin: boolean | null;
}

export type RoleStatus = 'applied' | 'refused' | 'skipped';

export interface RoleResult {
  user_id: string;
  status: RoleStatus;
  user?: UserRow;
  code?: string;
  message?: string;
}

export interface BulkOutcome {
  applied: number;
  refused: number;
  skipped: number;
  results: RoleResult[];
}

export interface WeekCount {
  week_start: number;
  signups: number;
}

export interface StoreConversion {
  store_id: string;
  store_name: string;
  fans: number;
  users: number;
  rate: number;
}

export interface Stats {
  as_of: number;
  total_users: number;
  admins: number;
  creators: number;
  students: number;
  signups_per_week: WeekCount[];
  conversion: StoreConversion[];
}

export interface AdminAccess {
  admin: boolean;
  email: string | null;
  user_id: string | null;
  /** Why not, when it is more than "not an admin": NOT_SIGNED_IN, SIGN_IN_REQUIRED, UNREACHABLE, ... */
  code: string | null;
}

export interface PullProgress {
  phase: string;
  done: number;
  total: number | null;
}

export interface UsersPulled {
  received: number;
  written: number;
  total: number;
}

async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toApiError(err);
  }
}

/** Whether the signed-in account is a platform admin; never rejects for "not signed in". */
export function adminAccess(): Promise<AdminAccess> {
  return call<AdminAccess>('admin_access', {});
}

export function usersPull(onProgress: (p: PullProgress) => void): Promise<UsersPulled> {
  const channel = new Channel<PullProgress>();
  channel.onmessage = onProgress;
  return call<UsersPulled>('admin_users_pull', { onProgress: channel });
}

export function usersCount(query: UserQuery): Promise<number> {
  return call<number>('admin_users_count', { query });
}

export function usersPage(query: UserQuery): Promise<UsersPage> {
  return call<UsersPage>('admin_users_page', { query });
}

export function userDetail(userId: string): Promise<UserDetail> {
  return call<UserDetail>('admin_user_detail', { userId });
}

/** The confirmation sentence of `change` for each user, from the domain. */
export function roleEffects(userIds: string[], change: RoleChange): Promise<string[]> {
  return call<string[]>('admin_role_effects', { userIds, change });
}

export function setRole(userId: string, change: RoleChange): Promise<UserRow> {
  return call<UserRow>('admin_set_role', { userId, change });
}

export function setRoles(userIds: string[], change: RoleChange): Promise<BulkOutcome> {
  return call<BulkOutcome>('admin_set_roles', { userIds, change });
}

export function adminStats(): Promise<Stats> {
  return call<Stats>('admin_stats', {});
}
