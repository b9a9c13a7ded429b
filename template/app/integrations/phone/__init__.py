"""Phone verification backends (Twilio Messaging or Verify, console) behind one protocol."""
