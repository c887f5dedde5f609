import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes operators filter syncs by in the Web UI, e.g. `AbmSyncPhase="paused"`. */
export const MappingIdAttribute = defineSearchAttributeKey('AbmSyncMappingId', SearchAttributeType.KEYWORD);
export const PhaseAttribute = defineSearchAttributeKey('AbmSyncPhase', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [MappingIdAttribute, PhaseAttribute] as const;
