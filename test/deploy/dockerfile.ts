/** The Dockerfile as a list of stages and instructions, and the .dockerignore matcher BuildKit applies. */
import path from 'node:path';
import { DockerfileParser, type Flag, type Instruction } from 'dockerfile-ast';
import { readRepoFile } from './repo.js';

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export function dockerfileStages(text = readRepoFile('Dockerfile')): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const [image, as, name] = instruction.getArguments().map((a) => a.getValue());
      stages.push({ image: image ?? '', name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const current = stages.at(-1);
      if (!current) throw new Error(`${keyword} before the first FROM`);
      current.instructions.push(instruction);
    }
  }
  return stages;
}

/** A COPY/ADD instruction's --flags (the parser keeps them apart) and its whitespace-separated arguments. */
export function splitFlags(instruction: Instruction): { flags: Map<string, string>; args: string[] } {
  const withFlags = instruction as Instruction & { getFlags?: () => Flag[] };
  const flags = new Map((withFlags.getFlags?.() ?? []).map((f) => [f.getName(), f.getValue() ?? '']));
  const args = (instruction.getRawArgumentsContent() ?? '').split(/\s+/).filter(Boolean);
  return { flags, args };
}

/** Whether .dockerignore keeps `relative` out of the build context (last matching pattern wins, `!` re-includes). */
export function isDockerIgnored(relative: string, ignoreFile = readRepoFile('.dockerignore')): boolean {
  const patterns = ignoreFile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const parts = relative.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    // A pattern that matches a directory excludes what is inside it; a negation re-includes only what it names.
    const hit = negated
      ? path.matchesGlob(relative, glob)
      : candidates.some((candidate) => path.matchesGlob(candidate, glob));
    if (hit) ignored = !negated;
  }
  return ignored;
}
