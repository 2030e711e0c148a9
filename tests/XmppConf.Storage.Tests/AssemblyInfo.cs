global using Microsoft.VisualStudio.TestTools.UnitTesting;

// Every test opens its own stores (SQLite ones in their own temp directory), so they run in parallel.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel, Workers = 0)]
