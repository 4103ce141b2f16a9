import { Readable } from 'node:stream';
import type { QueryParams } from '@harrier/alert';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { AlertExportService, EXPORT_CONTENT_TYPES, parseExportRequest } from './alert-export.js';

const EXTENSIONS = { csv: 'csv', json: 'json', ndjson: 'ndjson' } as const;

@Controller('api/v1/alerts/export')
export class ExportController {
  constructor(private readonly exports: AlertExportService) {}

  /** The filtered alerts, every one of them, streamed as `format=csv|json|ndjson` (JSON array by default). */
  @Get()
  export(@Query() params: QueryParams): StreamableFile {
    const request = parseExportRequest(params);
    const stamp = new Date()
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z');
    return new StreamableFile(Readable.from(this.exports.export(request)), {
      type: EXPORT_CONTENT_TYPES[request.format],
      disposition: `attachment; filename="harrier-alerts-${stamp}.${EXTENSIONS[request.format]}"`,
    });
  }
}
