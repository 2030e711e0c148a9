using System.Runtime.ExceptionServices;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>
/// Runs calls truly at the same time: one dedicated thread each, released together by a
/// barrier. Task.Run is not enough: the in-memory stores complete synchronously, and a busy
/// or small thread pool would run the calls one after another, so no race would be exercised.
/// </summary>
internal static class Concurrently
{
    public static Task<T[]> RunAsync<T>(int count, Func<int, Task<T>> call)
    {
        var results = new T[count];
        var errors = new Exception?[count];
        using var start = new Barrier(count);
        var threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            threads[i] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    results[index] = call(index).GetAwaiter().GetResult();
                }
                catch (Exception error)
                {
                    errors[index] = error;
                }
            });
            threads[i].Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        foreach (var error in errors)
        {
            if (error is not null)
            {
                ExceptionDispatchInfo.Throw(error);
            }
        }
        return Task.FromResult(results);
    }
}
