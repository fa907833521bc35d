/**
 * What this browser knows about its session: '1' after the server handed one over, '0' after
 * signing out or a 401, nothing before the first answer. The session cookie itself is httpOnly,
 * so this is how a visit known to be signed out skips asking the server: "not signed in" is a
 * normal answer, but the browser would log the 401 in the console as a failed request. When
 * nothing is known (a new browser, a session made through the API) the server is asked.
 */
const SIGNED_IN_HINT = 'sen.signedIn';

export function rememberSignedIn(on: boolean): void {
  try {
    window.localStorage.setItem(SIGNED_IN_HINT, on ? '1' : '0');
  } catch {
    // storage unavailable (private mode): the session query then always asks the server
  }
}

/** False only when this browser certainly has no session (it signed out or was told 401). */
export function maybeSignedIn(): boolean {
  try {
    return window.localStorage.getItem(SIGNED_IN_HINT) !== '0';
  } catch {
    return true;
  }
}
