from . import ab_statistics, auto_reply, dates, outreach_token, senders, text, wording
