global using LiveChat.Engagement;
