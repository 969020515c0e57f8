import { Link } from 'react-router'

export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no such page. <Link to="/week">Go to the week</Link>.
      </p>
    </>
  )
}
