/**
 * Security headers for every response. The Content-Security-Policy allows nothing inline: styles
 * and the optional script come from this origin (`/assets/…`), so an injected `<script>` or
 * `style=` attribute does nothing (CSP Level 3, W3C). Forms may only post back to this origin,
 * and no one may frame the dashboard (clickjacking; OWASP Clickjacking Defense Cheat Sheet).
 */
import { secureHeaders } from 'hono/secure-headers';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
    // HSTS is only honoured over HTTPS (RFC 6797 §7.2); harmless on plain-HTTP local runs.
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  });
}
