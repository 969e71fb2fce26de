import { RISK_LEVELS, type RiskLevel } from '../protocolLimits';
import { descriptorOf } from '../destinations/registry';

/** Seed §5.2: each destination type's descriptor says its risk; an unknown type is high. */
export function riskOfDestination(type: string): RiskLevel {
  return descriptorOf(type)?.risk ?? 'high';
}

export function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export function isAtLeast(level: RiskLevel, threshold: RiskLevel): boolean {
  return riskRank(level) >= riskRank(threshold);
}

/** An export that leaves this machine; an unknown type counts as remote. */
export function isRemote(type: string): boolean {
  return descriptorOf(type)?.remote ?? true;
}
