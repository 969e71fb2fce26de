import { RISK_LEVELS, type RiskLevel } from '../config';
import type { DestinationType } from '../destinations/types';

/** Seed §5.2: local low, database medium, GitHub / Drive / anything custom high. */
const DESTINATION_RISK: Record<DestinationType, RiskLevel> = {
  local: 'low',
  tidb: 'medium',
  github: 'high',
  drive: 'high',
};

export function riskOfDestination(type: string): RiskLevel {
  return (DESTINATION_RISK as Record<string, RiskLevel>)[type] ?? 'high';
}

export function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return riskRank(a) >= riskRank(b) ? a : b;
}

export function isAtLeast(level: RiskLevel, threshold: RiskLevel): boolean {
  return riskRank(level) >= riskRank(threshold);
}

export function isRemote(type: string): boolean {
  return type !== 'local';
}
