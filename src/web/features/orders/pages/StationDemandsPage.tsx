import { StationDemandsPage } from './StationPages';

export default StationDemandsPage;
