import { Body, Controller, DefaultValuePipe, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import type { DeadLetter } from './delivery/delivery-queue.js';
import type { AlertDelivery, OutputStatus } from '@harrier/alert';
import { OutputsService } from './outputs.service.js';

@Controller()
export class OutputsController {
  constructor(private readonly outputs: OutputsService) {}

  /** falcosidekick's test endpoint: 200 with an empty body once the test alert is queued for every output. */
  @Post('test')
  @HttpCode(200)
  async test(): Promise<void> {
    await this.outputs.sendTest();
  }

  @Get('api/v1/outputs')
  list(): Promise<OutputStatus[]> {
    return this.outputs.list();
  }

  @Get('api/v1/outputs/:name/dead-letters')
  deadLetters(
    @Param('name') name: string,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ): Promise<DeadLetter[]> {
    return this.outputs.deadLetters(name, Math.min(Math.max(limit, 1), 1000));
  }

  /** The alert's delivery status per output (lives here: it is the outputs' state, keyed by alert). */
  @Get('api/v1/alerts/:id/deliveries')
  deliveries(@Param('id') id: string): Promise<AlertDelivery[]> {
    return this.outputs.deliveries(id);
  }

  @Post('api/v1/outputs/:name/dead-letters/redrive')
  @HttpCode(200)
  async redrive(@Param('name') name: string, @Body() body: unknown): Promise<{ redriven: number }> {
    const ids = isIdList(body) ? body.ids : undefined;
    return { redriven: await this.outputs.redrive(name, ids) };
  }
}

function isIdList(body: unknown): body is { ids: string[] } {
  const ids = (body as { ids?: unknown } | null)?.ids;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string');
}
