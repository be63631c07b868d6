/** The sign-in screen: customer id, username, password; the session is kept for this tab. */
import { useId, useState, type SyntheticEvent, type ReactNode } from 'react';
import { createAccountsApi } from '@talk/client/accounts-api';
import { TalkApiError } from '@talk/client/errors';
import { describeFailure } from '../api/failure';
import controls from '../styles/controls.module.css';
import styles from './SignIn.module.css';
import { useSessionState } from './session-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function SignIn(): ReactNode {
  const { endedBecause, signedIn } = useSessionState();
  const [customerId, setCustomerId] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const errorId = useId();
  // Signed out there is no query cache yet (each session gets its own): the one call is kept here.
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (!UUID.test(customerId.trim()) || pending) return;
    setPending(true);
    setFailure(undefined);
    createAccountsApi({ baseUrl: window.location.origin, retry: { attempts: 1, backoff: { initialMs: 100, maxMs: 100 } } })
      .login({ customer_id: customerId.trim(), username: username.trim(), password })
      .then(
        (answer) => signedIn({ token: answer.token, expires_at: answer.expires_at, agent: answer.agent }),
        (error: unknown) => {
          setFailure(error);
          setPending(false);
        },
      );
  };
  const badCustomer = customerId.trim() !== '' && !UUID.test(customerId.trim());
  const problem = badCustomer
    ? 'The customer id is the UUID your administrator gave you, like 0b6c…-…'
    : failure === undefined
      ? undefined
      : failure instanceof TalkApiError && failure.status === 401
        ? 'That customer, username and password do not match an active agent.'
        : describeFailure(failure);

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={submit} aria-describedby={problem === undefined ? undefined : errorId} noValidate>
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" />
          <h1 className={styles.title}>Talk</h1>
        </div>
        <p className={styles.lead}>Sign in to your agent console.</p>
        {endedBecause !== undefined && (
          <p className={controls.notice} role="status">
            {endedBecause}
          </p>
        )}
        <label className={controls.field}>
          Customer id
          <input className={controls.input} value={customerId} onChange={(e) => setCustomerId(e.target.value)} autoComplete="organization" spellCheck={false} required />
        </label>
        <label className={controls.field}>
          Username
          <input className={controls.input} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" spellCheck={false} required />
        </label>
        <label className={controls.field}>
          Password
          <input className={controls.input} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        {problem !== undefined && (
          <p id={errorId} className={controls.error} role="alert">
            {problem}
          </p>
        )}
        <button className={controls.primary} type="submit" disabled={pending || customerId === '' || username === '' || password === ''}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
