import { Route, Routes } from 'react-router-dom';
import ConversationPage from './ConversationPage';
import InboxPage from './InboxPage';
import InterviewRoomPage from './InterviewRoomPage';
import InterviewsPage from './InterviewsPage';

/** /<resident|worker|company>/messages: inbox, a conversation, interviews and the interview room. */
export default function MessagesSection() {
  return (
    <Routes>
      <Route index element={<InboxPage />} />
      <Route path="interviews" element={<InterviewsPage />} />
      <Route path="interviews/:id" element={<InterviewRoomPage />} />
      <Route path=":id" element={<ConversationPage />} />
    </Routes>
  );
}
