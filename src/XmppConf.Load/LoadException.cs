namespace XmppConf.Load;

/// <summary>The server did something the scenario cannot continue from (auth failure, stream error…).</summary>
internal sealed class LoadException(string message) : Exception(message);
