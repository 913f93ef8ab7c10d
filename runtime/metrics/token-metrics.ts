/**
 * Count a TokenManager's events in a client's metrics (`vaultsmith_token_events_total{event}`).
 */
import type { TokenManager } from "../auth/token-manager";
import type { TokenManagerEvents } from "../auth/token-events";
import { RuntimeMetrics } from "./runtime-metrics";

const COUNTED: readonly (keyof TokenManagerEvents)[] = [
  "login",
  "login-failed",
  "fallback",
  "token-renewed",
  "renewal-failed",
  "token-expired",
  "token-revoked",
  "emergency-access",
];

/** Increment `metrics.tokenEvents` for every event of `manager`; returns a function that stops counting. */
export function countTokenEvents(manager: TokenManager, metrics: RuntimeMetrics): () => void {
  const listeners = COUNTED.map((event) => {
    const listener = (): void => metrics.tokenEvents.inc({ event });
    manager.on(event, listener as never);
    return () => manager.off(event, listener as never);
  });
  return () => listeners.forEach((off) => off());
}
