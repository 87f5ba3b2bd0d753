Console.Error.WriteLine("DevHost is not built yet.");
return 1;
