import { userInfo } from "node:os";

/**
 * libpq defaults the user to the OS user; node-postgres reads $USER, which service managers and
 * CI often leave unset. Fill in the same default explicitly so `postgres://host/db` behaves
 * like psql does.
 */
export function withDefaultUser(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username) {
      u.username = process.env.PGUSER || process.env.USER || userInfo().username;
      return u.toString();
    }
    return url;
  } catch {
    return url;
  }
}
