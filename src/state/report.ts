import type { CatalogState } from './catalog.svelte';
import type { CheckState } from './check.svelte';
import { buildReport, sha256Hex, type CheckReport } from '../report/report';

/** The report of the check on screen, from the same builder the CLI uses; null when there is no finished check. */
export async function buildCheckReport(check: CheckState, catalog: CatalogState): Promise<CheckReport | null> {
  const result = check.result;
  const checked = check.checked;
  if (!result || !checked || check.stage !== 'done') return null;
  const bytes = new Uint8Array(await checked.file.arrayBuffer());
  return buildReport({
    file: { name: check.fileName, sha256: await sha256Hex(bytes), sizeBytes: bytes.byteLength },
    result,
    catalog: { id: catalog.info?.catalogId ?? '', name: catalog.info?.name ?? '', works: catalog.works.length },
    formatVersion: checked.formatVersion,
    metadata: catalog.rights.metadata,
    via: 'app',
    provenance: check.provenance ?? undefined,
    catalogWorks: catalog.works,
  });
}
