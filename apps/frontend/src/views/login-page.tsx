import type { Flash } from '../session/session.js';
import { CsrfField } from './components.js';
import { Layout } from './layout.js';

export interface LoginPageProps {
  csrf: string;
  email?: string;
  error?: string;
  flash?: Flash;
}

export function LoginPage({ csrf, email, error, flash }: LoginPageProps) {
  return (
    <Layout title="Sign in" flash={flash}>
      <section class="auth card" aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Payday</h1>
        {error ? (
          <div class="flash flash-error" role="alert" id="login-error">
            {error}
          </div>
        ) : null}
        <form method="post" action="/login" class="stack" novalidate>
          <CsrfField token={csrf} />
          <div class="field">
            <label for="email">Email address</label>
            <input
              type="email"
              id="email"
              name="email"
              autocomplete="username"
              required
              value={email ?? ''}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'login-error' : undefined}
            />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required />
          </div>
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
