import type { RulesStatus, RuleTestResult } from '@harrier/alert';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RuleTester } from './rule-tester.js';
import { RulesService } from './rules.service.js';

@Controller('api/v1/rules')
export class RulesController {
  constructor(
    private readonly rules: RulesService,
    private readonly tester: RuleTester,
  ) {}

  /** The rules in force, their load warnings and a failed reload's errors. */
  @Get()
  status(): RulesStatus {
    return this.rules.status();
  }

  /** Loads the rules files again, as SIGHUP does; a file that fails leaves the previous rules in force. */
  @Post('reload')
  @HttpCode(200)
  async reload(): Promise<RulesStatus> {
    await this.rules.reload();
    return this.rules.status();
  }

  /** Runs `{ event }` (audit JSON) through the rules in force: which rules fire, with their output; nothing is stored. */
  @Post('test')
  @HttpCode(200)
  test(@Body() body: unknown): RuleTestResult {
    return this.tester.test(body);
  }
}
