import type { Command } from "commander";
export function registerLearningCommands(program: Command): void { void program; }
