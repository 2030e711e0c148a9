// Each class runs its own server process; tests inside a class run one at a time so the RSS read before and
// after an attack belongs to that attack alone.
[assembly: Microsoft.VisualStudio.TestTools.UnitTesting.Parallelize(Workers = 3, Scope = Microsoft.VisualStudio.TestTools.UnitTesting.ExecutionScope.ClassLevel)]
