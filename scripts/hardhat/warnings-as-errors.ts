import type { SolidityHooks } from "hardhat/types/hooks";

/**
 * Turns every compiler warning about the project's own sources into a fatal error, so a warning never lands.
 * It rewrites the compiler output itself (Hardhat decides success from it); warnings in npm dependencies stay
 * warnings, since we cannot fix them.
 */
export default async (): Promise<Partial<SolidityHooks>> => ({
  async invokeSolc(context, compiler, solcInput, solcConfig, next) {
    const output = await next(context, compiler, solcInput, solcConfig);
    // Coverage instruments the sources: the size warnings it causes say nothing about the real contracts.
    if (context.globalOptions.coverage === true) return output;
    const errors = output.errors?.map((error) => {
      // Solidity tests (test/solidity) are exempt: their contracts may exceed the size limit, which is harmless there.
      // Hardhat's type omits it, but solc reports where each warning is (standard JSON `sourceLocation`).
      const { sourceLocation } = error as { sourceLocation?: { file: string } };
      const ours = sourceLocation?.file.startsWith("project/contracts/") ?? false;
      if (error.severity !== "warning" || !ours) return error;
      return {
        ...error,
        type: "WarningAsError",
        severity: "error" as const,
        formattedMessage: `Error (warnings are errors here): ${error.formattedMessage ?? error.message}`,
      };
    });
    return { ...output, errors };
  },
});
