[assembly: Microsoft.VisualStudio.TestTools.UnitTesting.Parallelize(Workers = 4, Scope = Microsoft.VisualStudio.TestTools.UnitTesting.ExecutionScope.ClassLevel)]
