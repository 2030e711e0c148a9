using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Hosting;

namespace XmppConf.Server.Tests.Options;

[TestClass]
public sealed class ServerConfigurationTests
{
    [TestMethod]
    public void Load_CommandLineOverridesFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "Server": { "Domain": "from-file.example", "C2sPort": 1111 } }""");
            var configuration = ServerConfiguration.Load(["--config", file, "--Server:C2sPort=2222"]);
            Assert.AreEqual("from-file.example", configuration["Server:Domain"]);
            Assert.AreEqual("2222", configuration["Server:C2sPort"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void Load_UnknownSection_NamesIt()
    {
        var ex = Assert.ThrowsException<InvalidOperationException>(() => ServerConfiguration.Load(["--Sever:Domain=x"]));
        StringAssert.Contains(ex.Message, "Sever");
    }

    [TestMethod]
    public void Load_MissingConfigFile_NamesIt()
    {
        var ex = Assert.ThrowsException<InvalidOperationException>(() => ServerConfiguration.Load(["--config=/nonexistent/x.json"]));
        StringAssert.Contains(ex.Message, "/nonexistent/x.json");
    }
}
